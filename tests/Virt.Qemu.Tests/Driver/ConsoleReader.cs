using System.Text;

namespace Virt.Qemu.Tests.Driver;

/// <summary>Reads a console stream on a thread of its own and keeps everything read, so a test can wait for a line.</summary>
internal sealed class ConsoleReader : IDisposable
{
    private readonly Stream _stream;
    private readonly StringBuilder _text = new();
    private readonly Thread _thread;
    private volatile bool _ended;

    public ConsoleReader(Stream stream)
    {
        _stream = stream;
        _thread = new Thread(Run) { IsBackground = true, Name = "console reader" };
        _thread.Start();
    }

    /// <summary>Whether the stream has ended (a read returned 0).</summary>
    public bool Ended => _ended;

    /// <summary>Everything read so far.</summary>
    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Waits until <paramref name="text"/> has been read; fails the test with what was read otherwise.</summary>
    public void WaitFor(string text, TimeSpan timeout, Action? whileWaiting = null)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        long nextAction = 0;
        while (!Text.Contains(text, StringComparison.Ordinal))
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"the console did not show '{text}' within {timeout}; it showed:\n{Text}");
            }

            if (whileWaiting is not null && Environment.TickCount64 >= nextAction)
            {
                whileWaiting();
                nextAction = Environment.TickCount64 + 2000;
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Waits until the stream has ended.</summary>
    public bool WaitForEnd(TimeSpan timeout) => _thread.Join(timeout);

    public void Dispose() => _stream.Dispose();

    private void Run()
    {
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = _stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (_text)
                {
                    _text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The stream was closed under the reader.
        }

        _ended = true;
    }
}
