output "region" {
  description = "AWS region."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "configure_kubectl" {
  description = "Command that adds the cluster to your kubeconfig."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "ecr_repository_url" {
  description = "Where CI pushes the API image."
  value       = module.ecr.repository_url
}

output "rds_address" {
  description = "PostgreSQL host name."
  value       = module.rds.address
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint."
  value       = module.elasticache.primary_endpoint
}

output "database_url" {
  description = "DATABASE_URL of the application (`terraform output -raw database_url`)."
  value       = module.rds.database_url
  sensitive   = true
}

output "cache_url" {
  description = "CACHE_URL of the application (`terraform output -raw cache_url`)."
  value       = module.elasticache.cache_url
  sensitive   = true
}

output "api_load_balancer_hostname" {
  description = "Public host name of the API's load balancer."
  value       = var.deploy_app ? module.app[0].load_balancer_hostname : null
}
