using System.Runtime.InteropServices;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// File steps for runtime files (never fsynced) that replace a file by swapping the new one with the old one
/// (<c>renameat2</c> with <c>RENAME_EXCHANGE</c>) and then removing the old one, under its temporary name, instead of
/// renaming over it. Readers see the old content or the new, never none, as with a rename. What differs is ext4's
/// <c>auto_da_alloc</c>: a rename that replaces a file makes ext4 allocate and start writing the new file's data at
/// once (meant for files that must survive a host crash, which runtime files need not), and that waits behind every
/// other writer's journal commit. Where there is nothing to swap with, or the file system cannot swap, a plain rename.
/// </summary>
internal sealed partial class SwapRenameSteps : FileSteps
{
    private const int CurrentDirectory = -100;
    private const uint Exchange = 2;

    /// <summary>Steps without fsync.</summary>
    public SwapRenameSteps()
        : base(durable: false)
    {
    }

    /// <inheritdoc/>
    public override void Rename(string from, string to)
    {
        if (!OperatingSystem.IsLinux() || RenameAt2(CurrentDirectory, from, CurrentDirectory, to, Exchange) != 0)
        {
            base.Rename(from, to);
            return;
        }

        try
        {
            File.Delete(from);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The old content stays under a hidden temporary name until its folder is removed.
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);
}
