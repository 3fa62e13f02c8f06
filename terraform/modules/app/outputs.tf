output "namespace" {
  description = "Namespace of the application."
  value       = local.namespace
}

output "service_name" {
  description = "Name of the API Service."
  value       = kubernetes_service_v1.api.metadata[0].name
}

output "load_balancer_hostname" {
  description = "Host name of the cloud load balancer (service_type LoadBalancer), null otherwise."
  value       = try(kubernetes_service_v1.api.status[0].load_balancer[0].ingress[0].hostname, null)
}

output "migration_job_name" {
  description = "Name of the migration Job of the current image."
  value       = var.run_migrations ? kubernetes_job_v1.migrate[0].metadata[0].name : null
}
