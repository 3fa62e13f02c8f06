variable "name" {
  description = "Name prefix of the VPC and its subnets."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC (a /16 leaves room for every subnet tier below)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones to spread the subnets over."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3 (EKS, RDS Multi-AZ and ElastiCache need two zones; the subnet plan has room for three)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper) instead of one per zone (survives a zone outage)."
  type        = bool
  default     = true
}

variable "cluster_name" {
  description = "EKS cluster name, used in the subnet tags that the load balancer controllers look for."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
