// Placeholder so the target builds; replaced by the TUI owner.
