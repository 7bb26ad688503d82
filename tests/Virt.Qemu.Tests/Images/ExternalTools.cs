using System.Diagnostics;

namespace Virt.Qemu.Tests.Images;

/// <summary>Runs qemu-img, qemu-io and friends for the tests (argument arrays, no shell).</summary>
internal static class ExternalTools
{
    public static string Run(string exe, params string[] args) => RunIn(null, exe, args);

    public static string RunIn(string? cwd, string exe, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(cwd, null, exe, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({code}): {stderr}{stdout}");
        }

        return stdout;
    }

    public static (int Code, string Stdout, string Stderr) TryRun(string? cwd, string? stdin, string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (cwd is not null)
        {
            psi.WorkingDirectory = cwd;
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish");
        }

        return (p.ExitCode, o.Result, e.Result);
    }

    public static string QemuImg(params string[] args) => Run("qemu-img", args);

    /// <summary>qemu-img check; returns its output and throws unless the image is clean.</summary>
    public static string Check(string path)
    {
        var (code, stdout, stderr) = TryRun(null, null, "qemu-img", "check", path);
        if (code != 0)
        {
            throw new AssertionException($"qemu-img check {path} exited {code}: {stdout}{stderr}");
        }

        return stdout;
    }

    /// <summary>Runs qemu-system-x86_64 paused with an HMP monitor on stdin, feeds it commands, and waits for it to quit.</summary>
    public static string Hmp(string[] qemuArgs, params string[] commands)
    {
        string[] args = ["-machine", "q35,accel=kvm:tcg", "-S", "-nodefaults", "-display", "none", "-m", "64", "-monitor", "stdio", .. qemuArgs];
        var (code, stdout, stderr) = TryRun(null, string.Join("\n", commands.Append("quit")) + "\n", "qemu-system-x86_64", args);
        if (code != 0)
        {
            throw new InvalidOperationException($"qemu-system-x86_64 failed ({code}): {stderr}{stdout}");
        }

        return stdout + stderr;
    }
}

/// <summary>A temporary directory removed when disposed.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "virt-img-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a 1 MiB qcow2 image named <paramref name="name"/> recording any backing name and format, even ones
    /// QEMU's tools would refuse to write.</summary>
    public string Qcow2(string name, string? backing = null, string? format = null)
    {
        string path = this[name];
        Virt.Qemu.Images.Qcow2CreateSpec spec = Virt.Qemu.Images.Qcow2Writer.Plan(1 << 20, new Virt.Qemu.Images.ImageCreateOptions(), backing, format);
        using var fs = File.Create(path);
        Virt.Qemu.Images.Qcow2Writer.Write(fs, spec);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
