output "repository_url" {
  description = "URL to tag and push images to."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "ARN of the repository (for push permissions of CI)."
  value       = aws_ecr_repository.this.arn
}
