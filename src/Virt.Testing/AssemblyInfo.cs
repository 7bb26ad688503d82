namespace Virt.Testing;
