using System.Buffers.Binary;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// A seeded mutator for qcow2 files: bit flips and random bytes near the header, "interesting" values
/// written into header and table fields, truncation, extension and chunk copies. Same seed, same mutants.
/// </summary>
internal sealed class HeaderMutator
{
    private static readonly int[] FieldOffsets = [4, 8, 16, 20, 24, 32, 36, 40, 48, 56, 60, 64, 72, 80, 88, 96, 100, 104];

    private readonly Random _random;

    public HeaderMutator(int seed)
    {
        _random = new Random(seed);
    }

    public byte[] Mutate(byte[] seed, long snapshotTable)
    {
        byte[] b = (byte[])seed.Clone();
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds && b.Length > 0; i++)
        {
            switch (_random.Next(8))
            {
                case 0:
                    {
                        int at = _random.Next(Math.Min(b.Length, 1024));
                        b[at] ^= (byte)(1 << _random.Next(8));
                        break;
                    }

                case 1:
                    b[_random.Next(b.Length)] = (byte)_random.Next(256);
                    break;
                case 2:
                case 3:
                    {
                        int at = FieldOffsets[_random.Next(FieldOffsets.Length)];
                        WriteInteresting(b, at, b.Length);
                        break;
                    }

                case 4:
                    if (snapshotTable > 0 && snapshotTable < b.Length - 8)
                    {
                        int at = (int)snapshotTable + _random.Next(Math.Min(80, b.Length - (int)snapshotTable - 8));
                        WriteInteresting(b, at, b.Length);
                    }

                    break;
                case 5:
                    b = b[.._random.Next(b.Length)];
                    break;
                case 6:
                    {
                        byte[] extra = new byte[_random.Next(1, 4096)];
                        _random.NextBytes(extra);
                        b = [.. b, .. extra];
                        break;
                    }

                default:
                    {
                        int len = _random.Next(1, 64);
                        if (b.Length > len)
                        {
                            int from = _random.Next(b.Length - len);
                            int to = _random.Next(Math.Min(b.Length - len, 1024));
                            Array.Copy(b, from, b, to, len);
                        }

                        break;
                    }
            }
        }

        return b;
    }

    private void WriteInteresting(byte[] b, int at, int fileLength)
    {
        ulong[] values =
        [
            0, 1, 2, 7, 8, 9, 0xff, 0x100, 0x200, 0x1000, 0x10000, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
            (ulong)fileLength, (ulong)fileLength - 8, (ulong)fileLength + 8, 1UL << 40, long.MaxValue, ulong.MaxValue,
            (ulong)_random.NextInt64(),
        ];
        ulong v = values[_random.Next(values.Length)];
        if (_random.Next(2) == 0 && at + 8 <= b.Length)
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), v);
        }
        else if (at + 4 <= b.Length)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), (uint)v);
        }
    }
}
