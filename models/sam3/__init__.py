"""The SAM 3 segmentation backend: points and boxes through Sam3TrackerModel, text through
Sam3Model, both served by transformers from local folders (no torchvision, no hub)."""
