using Aem.Distributions;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>The ResMADE's reading of a batch: contexts γ <c>[B, D, K]</c> and every conditional's proposal.</summary>
internal sealed record Conditionals(Tensor Context, IProposal Proposal);
