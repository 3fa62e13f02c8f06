variable "name" {
  description = "Repository name."
  type        = string
}

variable "keep_images" {
  description = "Number of tagged images kept; older ones are expired."
  type        = number
  default     = 50
}

variable "force_delete" {
  description = "Delete the repository even if it still holds images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
