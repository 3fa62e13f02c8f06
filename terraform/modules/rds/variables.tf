variable "identifier" {
  description = "Identifier of the DB instance (also the prefix of its security and parameter groups)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "db_subnet_group_name" {
  description = "DB subnet group (isolated database subnets)."
  type        = string
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the PostgreSQL port (the EKS nodes)."
  type        = list(string)
}

variable "engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "16"
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper bound for storage autoscaling in GiB."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "calendar"
}

variable "username" {
  description = "Master user name (the application connects with it)."
  type        = string
  default     = "calendar"
}

variable "multi_az" {
  description = "Standby in a second zone with automatic failover."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (turn off explicitly before destroying)."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot (only for throwaway environments)."
  type        = bool
  default     = false
}

variable "sslmode" {
  description = <<-EOT
    sslmode query parameter of the DATABASE_URL output. RDS enforces TLS (rds.force_ssl). "no-verify"
    encrypts without checking the server certificate, since the RDS CA is not in Node's default trust
    store; use "verify-full" after adding the RDS CA bundle with NODE_EXTRA_CA_CERTS.
  EOT
  type        = string
  default     = "no-verify"

  validation {
    condition     = contains(["no-verify", "require", "verify-ca", "verify-full"], var.sslmode)
    error_message = "sslmode must be one of no-verify, require, verify-ca, verify-full."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
