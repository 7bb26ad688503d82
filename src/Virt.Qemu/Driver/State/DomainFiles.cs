using System.Globalization;
using System.Text.Json;
using Virt.Conf;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// Reads and writes one domain's files in a <see cref="StateRoot"/>; every write is atomic (temp, rename). The
/// persistent files are durable too (fsync of the file and its folder); the runtime status is not: it describes a
/// QEMU that a host crash ends anyway (libvirt keeps it in <c>/run</c>), so an fsync would only slow every job.
/// </summary>
internal sealed class DomainFiles
{
    private readonly StateRoot _root;
    private readonly AtomicFile _writer = new();
    private readonly AtomicFile _runtimeWriter = new(new SwapRenameSteps());

    public DomainFiles(StateRoot root) => _root = root;

    /// <summary>The persistent definition, or null when the domain has none.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when the file does not parse.</exception>
    public DomainDefinition? ReadConfig(string name) => ReadConfigFile(_root.ConfigFile(name));

    /// <summary>The persistent definition in <paramref name="path"/>, or null when there is none.</summary>
    public static DomainDefinition? ReadConfigFile(string path) => ReadConfigText(path) is { } xml ? DomainDefinition.Parse(xml) : null;

    /// <summary>The text of the persistent definition in <paramref name="path"/>, unparsed, or null when there is none.</summary>
    public static string? ReadConfigText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes the persistent definition.</summary>
    public void WriteConfig(DomainDefinition def)
    {
        string folder = _root.DomainFolder(def.Name);
        string parent = Path.GetDirectoryName(folder)!;
        bool created = !Directory.Exists(folder);
        if (created)
        {
            // The new folder's entry is flushed after the file, not before: the file's fsync commits the folder's
            // creation with it (ext4 journals both in one commit), so the parent's fsync then has nothing left to wait for.
            PrivateDirectory.Create(parent);
            PrivateDirectory.Create(folder, FileSteps.Unflushed);
        }

        Write(_root.ConfigFile(def.Name), def.ToXml());
        if (created)
        {
            try
            {
                FileSteps.Host.FsyncDirectory(parent);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new VirtException(VirtErrorCode.WriteFailed, $"{parent}: {e.Message}", e);
            }
        }
    }

    /// <summary>Removes the domain's persistent folder with everything in it.</summary>
    public void DeleteDomainFolder(string name)
    {
        string folder = _root.DomainFolder(name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The runtime status, or null when the domain does not run (or its status cannot be read).</summary>
    public DomainStatus? ReadStatus(string name) => ReadStatusFile(_root.StatusFile(name));

    /// <summary>The runtime status in <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static DomainStatus? ReadStatusFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), DomainStatusJsonContext.Default.DomainStatus);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the runtime status.</summary>
    public void WriteStatus(string name, DomainStatus status)
    {
        PrivateDirectory.Create(_root.RunFolder(name));
        Write(_runtimeWriter, _root.StatusFile(name), JsonSerializer.Serialize(status, DomainStatusJsonContext.Default.DomainStatus));
    }

    /// <summary>Removes the runtime folder (status, pid file, socket).</summary>
    public void DeleteRunFolder(string name)
    {
        string folder = _root.RunFolder(name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Whether the domain starts with the host.</summary>
    public bool ReadAutostart(string name) => File.Exists(_root.AutostartFile(name));

    /// <summary>The reason the domain last stopped, as recorded when it stopped.</summary>
    public DomainShutoffReason ReadShutoffReason(string name)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ShutoffFile(name)), NumberStyles.None, CultureInfo.InvariantCulture, out int reason)
                ? (DomainShutoffReason)reason : DomainShutoffReason.Unknown;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return DomainShutoffReason.Unknown;
        }
    }

    /// <summary>Records why a persistent domain stopped.</summary>
    public void WriteShutoffReason(string name, DomainShutoffReason reason)
    {
        if (Directory.Exists(_root.DomainFolder(name)))
        {
            Write(ShutoffFile(name), ((int)reason).ToString(CultureInfo.InvariantCulture));
        }
    }

    private string ShutoffFile(string name) => Path.Combine(_root.DomainFolder(name), "shutoff-reason");

    private void Write(string path, string content) => Write(_writer, path, content);

    private static void Write(AtomicFile writer, string path, string content)
    {
        try
        {
            writer.Write(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"{path}: {e.Message}", e);
        }
    }
}
