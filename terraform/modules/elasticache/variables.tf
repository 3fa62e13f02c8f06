variable "name" {
  description = "Replication group id (also the prefix of its security group)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_group_name" {
  description = "ElastiCache subnet group."
  type        = string
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the Redis port (the EKS nodes)."
  type        = list(string)
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "num_cache_clusters" {
  description = "Number of nodes: 1 (no replica) or more (a primary and replicas with automatic failover)."
  type        = number
  default     = 2
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
