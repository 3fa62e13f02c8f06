# AWS environment of the calendar service: VPC, EKS, RDS PostgreSQL, ElastiCache Redis, ECR, and the
# application deployed into EKS with the Kubernetes provider.
#
# First apply (no image yet):   terraform apply -var deploy_app=false
# Push an image to the ECR repository (output ecr_repository_url), then:
#                               terraform apply -var image_tag=<git sha>

locals {
  prefix = "${var.name}-${var.environment}"
  tags = merge({
    Project     = var.name
    Environment = var.environment
    ManagedBy   = "terraform"
  }, var.tags)
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

# Authenticates with a short-lived token from the AWS CLI, so no credentials end up in the state.
provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
  }
}

module "vpc" {
  source = "../../modules/vpc"

  name               = local.prefix
  cidr               = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.prefix
  tags               = local.tags
}

module "eks" {
  source = "../../modules/eks"

  cluster_name                 = local.prefix
  kubernetes_version           = var.kubernetes_version
  vpc_id                       = module.vpc.vpc_id
  subnet_ids                   = module.vpc.private_subnet_ids
  endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs
  node_instance_types          = var.node_instance_types
  node_min_size                = var.node_min_size
  node_max_size                = var.node_max_size
  node_desired_size            = var.node_min_size
  tags                         = local.tags
}

module "rds" {
  source = "../../modules/rds"

  identifier                 = local.prefix
  vpc_id                     = module.vpc.vpc_id
  db_subnet_group_name       = module.vpc.database_subnet_group_name
  allowed_security_group_ids = [module.eks.node_security_group_id]
  instance_class             = var.db_instance_class
  multi_az                   = var.db_multi_az
  deletion_protection        = var.db_deletion_protection
  tags                       = local.tags
}

module "elasticache" {
  source = "../../modules/elasticache"

  name                       = local.prefix
  vpc_id                     = module.vpc.vpc_id
  subnet_group_name          = module.vpc.elasticache_subnet_group_name
  allowed_security_group_ids = [module.eks.node_security_group_id]
  node_type                  = var.cache_node_type
  num_cache_clusters         = var.cache_nodes
  tags                       = local.tags
}

module "ecr" {
  source = "../../modules/ecr"

  name = "${var.name}-api"
  tags = local.tags
}

module "app" {
  source = "../../modules/app"
  count  = var.deploy_app ? 1 : 0

  namespace    = var.name
  image        = "${module.ecr.repository_url}:${coalesce(var.image_tag, "unset")}"
  database_url = module.rds.database_url
  cache_url    = module.elasticache.cache_url
  config       = var.app_config
  min_replicas = var.app_min_replicas
  max_replicas = var.app_max_replicas
  replicas     = var.app_min_replicas

  # A Network Load Balancer in front of the pods, created by the cluster's service controller.
  service_type = "LoadBalancer"
  service_annotations = {
    "service.beta.kubernetes.io/aws-load-balancer-type" = "nlb"
  }

  depends_on = [module.eks]
}

# Fails the plan early, with a clear message, when the app would be deployed without an image tag.
resource "terraform_data" "require_image_tag" {
  count = var.deploy_app ? 1 : 0

  lifecycle {
    precondition {
      condition     = var.image_tag != null
      error_message = "Set image_tag to an image pushed to the ECR repository, or deploy_app=false for the first apply."
    }
  }
}
