variable "kubeconfig_path" {
  description = "Path of the kubeconfig file."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "kubeconfig context to deploy to (e.g. minikube, k3d-calendar, default for k3s)."
  type        = string
}

variable "namespace" {
  description = "Namespace of the application."
  type        = string
  default     = "calendar-tf"
}

variable "image" {
  description = "Image already loaded into the cluster (`minikube image load`, `k3d image import`)."
  type        = string
  default     = "calendar-api:local"
}

variable "database_url" {
  description = "DATABASE_URL of a PostgreSQL reachable from the cluster."
  type        = string
  sensitive   = true
}

variable "cache_url" {
  description = "CACHE_URL of a cache reachable from the cluster (redis://...), or none."
  type        = string
  sensitive   = true
  default     = "none"
}

variable "jwt_secret" {
  description = "JWT_SECRET; null generates one."
  type        = string
  sensitive   = true
  default     = null
}

variable "config" {
  description = "Extra non-secret environment of the API."
  type        = map(string)
  default     = { LOG_LEVEL = "debug" }
}
