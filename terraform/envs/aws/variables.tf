variable "region" {
  description = "AWS region."
  type        = string
}

variable "environment" {
  description = "Environment name (staging, production, ...), part of every resource name."
  type        = string
}

variable "name" {
  description = "Base name of the resources."
  type        = string
  default     = "calendar"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones (2 or 3)."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone (cheaper, less available)."
  type        = bool
  default     = false
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.31"
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDR blocks allowed to reach the EKS API endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "node_instance_types" {
  description = "Instance types of the EKS node group."
  type        = list(string)
  default     = ["t3.medium"]
}

variable "node_min_size" {
  description = "Minimum number of EKS nodes."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum number of EKS nodes."
  type        = number
  default     = 5
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_multi_az" {
  description = "RDS Multi-AZ standby."
  type        = bool
  default     = true
}

variable "db_deletion_protection" {
  description = "Protect the RDS instance against deletion."
  type        = bool
  default     = true
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "cache_nodes" {
  description = "ElastiCache nodes (2 or more: primary plus replicas with failover)."
  type        = number
  default     = 2
}

variable "deploy_app" {
  description = "Deploy the application (false for the first apply, before an image was pushed to ECR)."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Tag of the API image in ECR to deploy (CI pushes the git commit SHA)."
  type        = string
  default     = null
}

variable "app_config" {
  description = "Extra non-secret environment of the API (LOG_LEVEL, ADMIN_EMAILS, RATE_LIMIT_AUTH, ...)."
  type        = map(string)
  default     = {}
}

variable "app_min_replicas" {
  description = "Minimum API replicas."
  type        = number
  default     = 3
}

variable "app_max_replicas" {
  description = "Maximum API replicas."
  type        = number
  default     = 20
}

variable "tags" {
  description = "Extra tags for every AWS resource."
  type        = map(string)
  default     = {}
}
