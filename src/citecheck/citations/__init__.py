"""Notes become citations: parsed fields, locators, ibid links; citations.yml I/O."""
