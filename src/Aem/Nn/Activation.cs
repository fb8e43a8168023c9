namespace Aem.Nn;

/// <summary>The element-wise non-linearities the paper's presets use.</summary>
public enum Activation
{
    Relu,
    Tanh,
}
