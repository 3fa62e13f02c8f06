variable "name" {
  description = "Name of the application's Kubernetes objects."
  type        = string
  default     = "calendar-api"
}

variable "namespace" {
  description = "Namespace to deploy into."
  type        = string
  default     = "calendar"
}

variable "create_namespace" {
  description = "Create the namespace (false when it already exists)."
  type        = bool
  default     = true
}

variable "image" {
  description = "Full image reference, e.g. <registry>/calendar-api:<git sha>."
  type        = string
}

variable "image_pull_policy" {
  description = "IfNotPresent for immutable tags; Always only for moving tags."
  type        = string
  default     = "IfNotPresent"
}

variable "replicas" {
  description = "Initial replica count (the HorizontalPodAutoscaler takes over afterwards)."
  type        = number
  default     = 2
}

variable "min_replicas" {
  description = "HorizontalPodAutoscaler minimum (at least 2 for availability during node drains)."
  type        = number
  default     = 2

  validation {
    condition     = var.min_replicas >= 2
    error_message = "min_replicas must be at least 2."
  }
}

variable "max_replicas" {
  description = "HorizontalPodAutoscaler maximum."
  type        = number
  default     = 10
}

variable "target_cpu_utilization" {
  description = "Average CPU utilization (percent of requests) the autoscaler aims for."
  type        = number
  default     = 70
}

variable "cpu_request" {
  description = "CPU request of an API pod."
  type        = string
  default     = "100m"
}

variable "memory_request" {
  description = "Memory request of an API pod."
  type        = string
  default     = "192Mi"
}

variable "memory_limit" {
  description = "Memory limit of an API pod."
  type        = string
  default     = "512Mi"
}

variable "config" {
  description = "Extra non-secret environment (LOG_LEVEL, ADMIN_EMAILS, RATE_LIMIT_AUTH, ...), merged over the defaults."
  type        = map(string)
  default     = {}
}

variable "database_url" {
  description = "DATABASE_URL (postgres://user:password@host:5432/db?sslmode=...)."
  type        = string
  sensitive   = true
}

variable "cache_url" {
  description = "CACHE_URL (redis://..., rediss://..., memcached://..., none). Use a shared cache with several replicas."
  type        = string
  sensitive   = true
}

variable "jwt_secret" {
  description = "JWT_SECRET (>= 32 characters); null generates a random one kept in the Terraform state."
  type        = string
  sensitive   = true
  default     = null
}

variable "run_migrations" {
  description = "Run the migration Job (once per image) before updating the Deployment."
  type        = bool
  default     = true
}

variable "service_type" {
  description = "Service type: ClusterIP (behind an ingress) or LoadBalancer (cloud load balancer in front of the pods)."
  type        = string
  default     = "ClusterIP"

  validation {
    condition     = contains(["ClusterIP", "NodePort", "LoadBalancer"], var.service_type)
    error_message = "service_type must be ClusterIP, NodePort or LoadBalancer."
  }
}

variable "service_annotations" {
  description = "Annotations of the Service (e.g. the load balancer type on AWS)."
  type        = map(string)
  default     = {}
}
