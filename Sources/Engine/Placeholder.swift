// Placeholder so the target builds; replaced by the Engine owner.
