"""The animatic backend: real storyboard frames as real video, on the CPU, before a GPU is spent."""
