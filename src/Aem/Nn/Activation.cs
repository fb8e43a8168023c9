namespace Aem.Nn;

/// <summary>The element-wise non-linearities the paper's presets use.</summary>
public enum Activation
{
    /// <summary>max(0, x): the ResMADE's activation always, and the energy network's in every preset but GAS.</summary>
    Relu,
    /// <summary>tanh(x): the energy network's activation in the GAS preset.</summary>
    Tanh,
}
