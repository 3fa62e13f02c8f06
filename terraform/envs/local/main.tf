# Deploys only the application (module "app") to an existing cluster from a kubeconfig context,
# e.g. minikube or k3s on a laptop. The database and cache are given as URLs.

provider "kubernetes" {
  config_path    = pathexpand(var.kubeconfig_path)
  config_context = var.kube_context
}

module "app" {
  source = "../../modules/app"

  namespace    = var.namespace
  image        = var.image
  database_url = var.database_url
  cache_url    = var.cache_url
  jwt_secret   = var.jwt_secret
  config       = var.config

  # Two replicas are enough on a laptop; reach the Service with `kubectl port-forward`.
  min_replicas = 2
  max_replicas = 3
  cpu_request  = "50m"
  service_type = "ClusterIP"
}
