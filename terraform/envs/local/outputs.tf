output "namespace" {
  description = "Namespace of the application."
  value       = module.app.namespace
}

output "port_forward" {
  description = "Command that makes the API reachable on http://localhost:3000."
  value       = "kubectl --context ${var.kube_context} -n ${module.app.namespace} port-forward service/${module.app.service_name} 3000:80"
}
