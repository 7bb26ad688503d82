// The atomic writer and its test seam live in Core (Virt.IO) since one copy serves the store and the image writer.
global using Virt.IO;
