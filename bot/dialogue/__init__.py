"""What Tend says and how it chooses it: wording built from what NLU found."""
