# The calendar API on Kubernetes, through the Kubernetes provider: the same objects as
# k8s/base (ConfigMap, Secret, migration Job, Deployment, Service, HPA, PDB), for environments
# managed entirely by Terraform.

locals {
  labels = {
    "app.kubernetes.io/name"       = var.name
    "app.kubernetes.io/part-of"    = "calendar"
    "app.kubernetes.io/managed-by" = "terraform"
  }
  api_labels     = merge(local.labels, { "app.kubernetes.io/component" = "api" })
  migrate_labels = merge(local.labels, { "app.kubernetes.io/component" = "migrate" })

  namespace = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace

  config = merge({
    PORT              = "3000"
    HOST              = "0.0.0.0"
    LOG_LEVEL         = "info"
    RATE_LIMIT_AUTH   = "20"
    ADMIN_EMAILS      = ""
    MIGRATE_ON_START  = "false" # the Job below runs them
    SHUTDOWN_GRACE_MS = "25000" # below the grace period minus the preStop sleep
  }, var.config)

  # coalesce() also skips "", so an empty jwt_secret is replaced too.
  jwt_secret = coalesce(var.jwt_secret, random_password.jwt_secret.result)

  # A Job's pod template is immutable: one Job per image, replaced when the image changes.
  migrate_job_name = "${var.name}-migrate-${substr(sha1(var.image), 0, 10)}"

  # Pods are restarted when the configuration or a secret changes (the hashes reveal nothing).
  config_checksum = sha256(jsonencode(local.config))
  secret_checksum = nonsensitive(sha256(join("\n", [var.database_url, var.cache_url, local.jwt_secret])))

  termination_grace_period_seconds = 45
  pre_stop_sleep_seconds           = 10
}

resource "random_password" "jwt_secret" {
  length  = 64
  special = false
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name   = var.namespace
    labels = local.labels
  }
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }
  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "config" {
  metadata {
    name      = "${var.name}-config"
    namespace = local.namespace
    labels    = local.labels
  }
  data = local.config
}

resource "kubernetes_secret_v1" "secrets" {
  metadata {
    name      = "${var.name}-secrets"
    namespace = local.namespace
    labels    = local.labels
  }
  type = "Opaque"
  data = {
    DATABASE_URL = var.database_url
    CACHE_URL    = var.cache_url
    JWT_SECRET   = local.jwt_secret
  }
}

resource "kubernetes_job_v1" "migrate" {
  count = var.run_migrations ? 1 : 0

  metadata {
    name      = local.migrate_job_name
    namespace = local.namespace
    labels    = local.migrate_labels
  }

  spec {
    backoff_limit           = 6
    active_deadline_seconds = 900

    template {
      metadata {
        labels = local.migrate_labels
      }
      spec {
        restart_policy                  = "Never"
        service_account_name            = kubernetes_service_account_v1.this.metadata[0].name
        automount_service_account_token = false

        security_context {
          run_as_non_root = true
          run_as_user     = 1000
          run_as_group    = 1000
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        container {
          name              = "migrate"
          image             = var.image
          image_pull_policy = var.image_pull_policy
          command           = ["node", "dist/src/migrate.js"]

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.config.metadata[0].name
            }
          }
          env_from {
            secret_ref {
              name = kubernetes_secret_v1.secrets.metadata[0].name
            }
          }

          resources {
            requests = { cpu = "50m", memory = "128Mi" }
            limits   = { memory = "384Mi" }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "64Mi"
          }
        }
      }
    }
  }

  # Terraform waits for the migrations to succeed before it touches the Deployment.
  wait_for_completion = true
  timeouts {
    create = "15m"
    update = "15m"
  }
}

resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.api_labels
  }

  spec {
    replicas               = var.replicas
    revision_history_limit = 5

    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "1"
        max_unavailable = "0"
      }
    }

    selector {
      match_labels = local.api_labels
    }

    template {
      metadata {
        labels = local.api_labels
        annotations = {
          "checksum/config"      = local.config_checksum
          "checksum/secret"      = local.secret_checksum
          "prometheus.io/scrape" = "true"
          "prometheus.io/port"   = "3000"
          "prometheus.io/path"   = "/metrics"
        }
      }

      spec {
        service_account_name             = kubernetes_service_account_v1.this.metadata[0].name
        automount_service_account_token  = false
        termination_grace_period_seconds = local.termination_grace_period_seconds

        security_context {
          run_as_non_root = true
          run_as_user     = 1000
          run_as_group    = 1000
          fs_group        = 1000
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "kubernetes.io/hostname"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.api_labels
          }
        }

        container {
          name              = "api"
          image             = var.image
          image_pull_policy = var.image_pull_policy
          command           = ["node", "dist/src/main.js"]

          port {
            name           = "http"
            container_port = 3000
            protocol       = "TCP"
          }

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.config.metadata[0].name
            }
          }
          env_from {
            secret_ref {
              name = kubernetes_secret_v1.secrets.metadata[0].name
            }
          }

          resources {
            requests = { cpu = var.cpu_request, memory = var.memory_request }
            limits   = { memory = var.memory_limit }
          }

          startup_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 2
            failure_threshold = 30
          }

          readiness_probe {
            http_get {
              path = "/readyz"
              port = "http"
            }
            period_seconds    = 5
            timeout_seconds   = 3
            failure_threshold = 2
          }

          liveness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 10
            timeout_seconds   = 3
            failure_threshold = 3
          }

          # Keep serving while the endpoint removal propagates; SIGTERM (drain) follows.
          lifecycle {
            pre_stop {
              exec {
                command = ["sleep", tostring(local.pre_stop_sleep_seconds)]
              }
            }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "64Mi"
          }
        }
      }
    }
  }

  lifecycle {
    # The HorizontalPodAutoscaler owns the replica count after creation.
    ignore_changes = [spec[0].replicas]
  }

  depends_on = [kubernetes_job_v1.migrate]
}

resource "kubernetes_service_v1" "api" {
  metadata {
    name        = var.name
    namespace   = local.namespace
    labels      = local.api_labels
    annotations = var.service_annotations
  }

  spec {
    type     = var.service_type
    selector = local.api_labels

    port {
      name        = "http"
      port        = 80
      target_port = "http"
      protocol    = "TCP"
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    min_replicas = var.min_replicas
    max_replicas = var.max_replicas

    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.api.metadata[0].name
    }

    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = var.target_cpu_utilization
        }
      }
    }

    behavior {
      scale_down {
        stabilization_window_seconds = 300
        select_policy                = "Max"
        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    max_unavailable = "1"
    selector {
      match_labels = local.api_labels
    }
  }
}
