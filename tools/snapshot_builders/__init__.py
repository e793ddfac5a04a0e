"""One snapshot builder per platform: ``build(content, out_root, expected_root) -> dict``."""
