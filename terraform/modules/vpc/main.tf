# Network for the calendar service: private subnets for the EKS nodes, public subnets for the load
# balancers, and isolated database and cache subnets, in 2 or 3 availability zones.

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # Subnet plan inside a /16: /20 private subnets (pods take VPC IPs with the AWS VPC CNI),
  # /24 public, database and cache subnets further up the range.
  private_subnets     = [for i, _ in local.azs : cidrsubnet(var.cidr, 4, i)]
  public_subnets      = [for i, _ in local.azs : cidrsubnet(var.cidr, 8, 48 + i)]
  database_subnets    = [for i, _ in local.azs : cidrsubnet(var.cidr, 8, 56 + i)]
  elasticache_subnets = [for i, _ in local.azs : cidrsubnet(var.cidr, 8, 64 + i)]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.13"

  name = var.name
  cidr = var.cidr
  azs  = local.azs

  private_subnets     = local.private_subnets
  public_subnets      = local.public_subnets
  database_subnets    = local.database_subnets
  elasticache_subnets = local.elasticache_subnets

  create_database_subnet_group    = true
  create_elasticache_subnet_group = true

  enable_nat_gateway   = true
  single_nat_gateway   = var.single_nat_gateway
  enable_dns_hostnames = true
  enable_dns_support   = true

  # Discovery tags for the AWS Load Balancer Controller and the in-tree service controller.
  public_subnet_tags = {
    "kubernetes.io/role/elb"                    = 1
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb"           = 1
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }

  tags = var.tags
}
