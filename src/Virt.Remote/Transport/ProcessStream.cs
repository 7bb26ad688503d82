using System.Diagnostics;

namespace Virt.Remote.Transport;

/// <summary>
/// A child process's standard output and input as one duplex stream: the ext (and ssh) transports. The program is
/// started with an argument array (no shell); disposing the stream closes its input and kills it if it is still
/// running. What it writes to standard error is kept for error messages.
/// </summary>
internal sealed class ProcessStream : Stream
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Stream _input;
    private readonly System.Text.StringBuilder _stderr = new();
    private int _disposed;

    private ProcessStream(Process process)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _input = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> when the program cannot be started.</exception>
    public static ProcessStream Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return new ProcessStream(Process.Start(start) ?? throw new InvalidOperationException("no process"));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Cannot run program '{program}': {ex.Message}", ex);
        }
    }

    /// <summary>What the program wrote to standard error so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Trim();
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _output.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _output.Read(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _input.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _input.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _input.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                _input.Dispose();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
            }

            _output.Dispose();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }
}
