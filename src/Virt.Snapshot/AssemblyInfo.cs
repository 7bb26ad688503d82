namespace Virt.Snapshot;
