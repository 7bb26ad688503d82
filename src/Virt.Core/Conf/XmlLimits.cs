namespace Virt.Conf;

/// <summary>How large an untrusted XML document may be (see <see cref="SafeXml"/>, where the instances live).</summary>
/// <param name="MaxCharacters">The longest document, in characters.</param>
/// <param name="MaxDepth">The deepest element nesting.</param>
/// <param name="MaxElements">The most elements.</param>
internal sealed record XmlLimits(int MaxCharacters, int MaxDepth, int MaxElements);
