using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>Mutated real headers either read or fail with a VirtException; nothing else escapes.</summary>
public sealed class HeaderFuzzTests
{
    private static readonly List<(byte[] Bytes, long SnapshotTable)> Seeds = [];

    [OneTimeSetUp]
    public void LoadSeeds()
    {
        if (Seeds.Count > 0)
        {
            return;
        }

        var (snapshots, bitmaps, v2) = FromQemuImg();
        foreach (byte[] b in new[] { NativeOverlay(512, 1 << 20), NativeOverlay(), snapshots, bitmaps, v2 })
        {
            Seeds.Add((b, Read(b).Qcow2!.SnapshotsOffset));
        }
    }

    [Test]
    public void ShortRun() => Fuzz(seed: 20261122, iterations: 5000);

    [Test]
    [Explicit("runs for several minutes")]
    [Category("LongFuzz")]
    public void LongRun() => Fuzz(seed: 1, iterations: 1_000_000);

    private static void Fuzz(int seed, int iterations)
    {
        var mutator = new HeaderMutator(seed);
        int accepted = 0, refused = 0;
        for (int i = 0; i < iterations; i++)
        {
            var (bytes, table) = Seeds[i % Seeds.Count];
            byte[] mutant = mutator.Mutate(bytes, table);
            try
            {
                ImageInfo info = Read(mutant, i % 7 == 0 ? null : "qcow2");
                _ = ImageFormatter.InfoText(info);
                _ = ImageFormatter.InfoJson(info);
                accepted++;
            }
            catch (VirtException ex) when (ex.Code is VirtErrorCode.ReadFailed or VirtErrorCode.ConfigUnsupported)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, iteration {i} (seed image {i % Seeds.Count}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}\nmutant: {Convert.ToHexString(mutant.AsSpan(0, Math.Min(mutant.Length, 256)))}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(accepted + refused, Is.EqualTo(iterations));
            Assert.That(refused, Is.GreaterThan(0));
            Assert.That(accepted, Is.GreaterThan(0));
        });
    }
}
