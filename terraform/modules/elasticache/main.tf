# Redis on ElastiCache: private, encrypted at rest and in transit, password (AUTH token) protected.

resource "random_password" "auth_token" {
  length  = 48
  special = false
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-cache-"
  description = "Redis access for ${var.name}"
  vpc_id      = var.vpc_id

  ingress {
    description     = "Redis from the application"
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = var.allowed_security_group_ids
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Cache of the calendar API"

  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = "default.redis7"

  num_cache_clusters         = var.num_cache_clusters
  automatic_failover_enabled = var.num_cache_clusters > 1
  multi_az_enabled           = var.num_cache_clusters > 1

  subnet_group_name  = var.subnet_group_name
  security_group_ids = [aws_security_group.this.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = random_password.auth_token.result

  # A cache: no snapshots to keep.
  snapshot_retention_limit = 0

  tags = var.tags
}
