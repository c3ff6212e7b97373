"""The Flux 2 Klein image backend (text to image, reference images, inpainting), served by
diffusers from a local folder in diffusers layout."""
