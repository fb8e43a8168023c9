using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The ResMADE-MoG as a prior: an AEM's proposal <c>q(z) = Π_d q_d(z_d | z_&lt;d)</c>, exactly normalised
/// (Table 2, "ResMADE-VAE"). Evaluated in eval mode (no dropout) under no-grad.
/// </summary>
internal sealed class ProposalPrior(AutoregressiveEnergyMachine model, string name = "ResMADE") : ILatentPrior
{
    private readonly AutoregressiveEnergyMachine model = model ?? throw new ArgumentNullException(nameof(model));

    public string Name { get; } = name;

    public int Features => model.Options.Features;

    public bool IsExact => true;

    public Tensor LogProb(Tensor z)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            ArgumentNullException.ThrowIfNull(z);
            using var noGrad = no_grad();
            var parameter = model.parameters().First();
            using var input = z.to(parameter.dtype, parameter.device);
            using var logQ = model.LogProposal(input);
            return logQ.to(z.dtype, z.device, copy: true);                       // [N]
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
