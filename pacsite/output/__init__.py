"""What is written: the site (staging, swap, lock), downloads, search, the render workers."""
