"""Perturbations real applicants and clerks make to books, for the robustness harness."""
