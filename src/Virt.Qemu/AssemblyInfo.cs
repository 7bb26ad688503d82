namespace Virt.Qemu;
