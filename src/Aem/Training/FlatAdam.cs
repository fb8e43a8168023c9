using Aem.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// Adam (β₁, β₂, ε; no AMSGrad, maximisation or weight decay) as a handful of operations on
/// <see cref="FlatParameters"/>: TorchSharp's <c>Adam.step()</c> takes seven per parameter and converts
/// its hyperparameters to temporary Scalars, which can be finalized mid-call. The moments stay in the
/// optimiser's own per-parameter states, now views of two flat tensors, so checkpoints save and restore
/// them as before (TorchSharp loads a state's tensors in place).
/// </summary>
internal sealed class FlatAdam : IDisposable
{
    private readonly Adam optimizer;
    private readonly FlatParameters flat;
    private readonly Adam.State[] states;
    private readonly Tensor average;
    private readonly Tensor averageSquare;

    /// <summary>Points the moments of <paramref name="optimizer"/>, built over <paramref name="flat"/>'s parameters in order, at flat buffers.</summary>
    public FlatAdam(Adam optimizer, FlatParameters flat)
    {
        this.optimizer = optimizer;
        this.flat = flat;
        var options = optimizer.ParamGroups.Cast<Adam.ParamGroup>().Select(g => g.Options).ToArray();
        if (options.Any(o => o.amsgrad == true || o.maximize == true || o.weight_decay != 0))
        {
            throw new NotSupportedException("Only plain Adam (no AMSGrad, maximisation or weight decay) is implemented.");
        }
        states = optimizer.state_dict().State.Cast<Adam.State>().ToArray();   // the live per-parameter states, in order
        if (states.Length != flat.Parameters.Count) throw new ArgumentException("The optimiser does not hold the flat parameters.", nameof(optimizer));
        average = zeros_like(flat.Values);
        averageSquare = zeros_like(flat.Values);
        using var noGrad = no_grad();
        long offset = 0;
        for (int i = 0; i < states.Length; i++)
        {
            var shape = flat.Parameters[i].shape;
            long n = flat.Parameters[i].numel();
            states[i].exp_avg = Rebind(states[i].exp_avg, average, offset, n, shape);
            states[i].exp_avg_sq = Rebind(states[i].exp_avg_sq, averageSquare, offset, n, shape);
            offset += n;
        }
    }

    /// <summary>One update of every parameter (all of them share the step count; the trainer steps them together).</summary>
    public void Step()
    {
        var group = optimizer.ParamGroups.Cast<Adam.ParamGroup>().Single();
        var options = group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        long step = states[0].step + 1;
        foreach (var state in states) state.step = step;
        double correction1 = 1 - Math.Pow(beta1, step);
        double correction2 = 1 - Math.Pow(beta2, step);
        var gradients = flat.Gradients;
        using var noGrad = no_grad();
        using var decay1 = beta1.ToScalar();
        using var decay2 = beta2.ToScalar();
        using var weight1 = (1 - beta1).ToScalar();
        using var weight2 = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        using var root2 = Math.Sqrt(correction2).ToScalar();
        using var stepSize = (-(lr / correction1)).ToScalar();
        average.mul_(decay1).add_(gradients, weight1);
        averageSquare.mul_(decay2).addcmul_(gradients, gradients, weight2);
        using var denominator = averageSquare.sqrt();
        denominator.div_(root2).add_(eps, Scalars.One);
        flat.Values.addcdiv_(average, denominator, stepSize);
    }

    private static Tensor Rebind(Tensor moment, Tensor buffer, long offset, long n, long[] shape)
    {
        using var slot = buffer.narrow(0, offset, n);
        using (var values = moment.reshape(-1)) slot.copy_(values);
        moment.Dispose();
        return slot.view(shape);
    }

    /// <summary>Releases the flat handles (the optimiser's states keep the storage alive).</summary>
    public void Dispose()
    {
        average.Dispose();
        averageSquare.Dispose();
    }
}
