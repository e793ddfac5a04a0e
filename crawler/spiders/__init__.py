"""One small file per portal; the file name is the spider name."""
