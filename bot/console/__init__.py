"""The staff console: clinic staff review conversations, crises and booking requests after logging in."""
