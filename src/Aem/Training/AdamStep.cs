using Aem.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// TorchSharp's <c>Adam.step()</c>, operation for operation (so bit for bit), with Scalars that outlive
/// their calls: TorchSharp's temporaries can be finalized mid-call, and its step converts β₁, 1 − β₁,
/// 1 − β₂, ε and the step size implicitly. The moments stay in the optimiser's own state, which
/// checkpoints save and restore as before.
/// </summary>
internal static class AdamStep
{
    /// <summary>One update of every parameter of <paramref name="optimizer"/> that has a gradient.</summary>
    public static void Apply(Adam optimizer)
    {
        var states = optimizer.state_dict().State;                 // the live per-parameter states, in order
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int index = 0;
        foreach (var group in optimizer.ParamGroups.Cast<Adam.ParamGroup>())
        {
            var options = group.Options;
            if (options.amsgrad == true || options.maximize == true || options.weight_decay != 0)
            {
                throw new NotSupportedException("Only plain Adam (no AMSGrad, maximisation or weight decay) is implemented.");
            }
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
            using var decay1 = beta1.ToScalar();
            using var decay2 = beta2.ToScalar();
            using var weight1 = (1 - beta1).ToScalar();
            using var weight2 = (1 - beta2).ToScalar();
            using var eps = options.eps!.Value.ToScalar();
            foreach (var parameter in group.Parameters)
            {
                var state = (Adam.State)states[index++];
                var grad = parameter.grad;
                if (grad is null) continue;
                state.step += 1;
                double correction1 = 1 - Math.Pow(beta1, state.step);
                double correction2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(decay1).add_(grad, weight1);
                state.exp_avg_sq.mul_(decay2).addcmul_(grad, grad.conj(), weight2);
                using var root2 = Math.Sqrt(correction2).ToScalar();
                var denominator = state.exp_avg_sq.sqrt().div(root2).add_(eps, Scalars.One);
                using var stepSize = (-(lr / correction1)).ToScalar();
                parameter.addcdiv_(state.exp_avg, denominator, stepSize);
            }
        }
    }
}
