using ArtGallery.Engines.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace ArtGallery.UnitTests.Engines;

public class SessionFactoryTests
{
    private static void FailingCuda(SessionOptions _) => throw new DllNotFoundException("libcublasLt.so.13: cannot open shared object file");

    [Fact]
    public void Cpu_NeverTriesCuda()
    {
        var tried = false;
        var (options, provider, reason) = SessionFactory.CreateOptions(ExecutionProviderPreference.Cpu, 1, _ => tried = true);
        using (options)
        {
            Assert.False(tried);
            Assert.Equal(SessionFactory.CpuProvider, provider);
            Assert.Null(reason);
        }
    }

    [Fact]
    public void Auto_FallsBackToCpu_WhenCudaDoesNotLoad()
    {
        var (options, provider, reason) = SessionFactory.CreateOptions(ExecutionProviderPreference.Auto, 1, FailingCuda);
        using (options)
        {
            Assert.Equal(SessionFactory.CpuProvider, provider);
            Assert.False(string.IsNullOrEmpty(reason));
        }
    }

    [Fact]
    public void Cuda_Required_ThrowsWithTheReason_WhenItDoesNotLoad()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SessionFactory.CreateOptions(ExecutionProviderPreference.Cuda, 1, FailingCuda));
        Assert.Contains("libcublasLt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_Required_UsesCuda_WhenTheAppendSucceeds()
    {
        var (options, provider, _) = SessionFactory.CreateOptions(ExecutionProviderPreference.Cuda, 1, _ => { });
        using (options)
        {
            Assert.Equal(SessionFactory.CudaProvider, provider);
        }
    }

    [Fact]
    public void Auto_TriesCudaOnlyWhereTheNvidiaDriverLoads()
    {
        var tried = false;
        var (options, provider, reason) = SessionFactory.CreateOptions(ExecutionProviderPreference.Auto, 1, _ => tried = true);
        using (options)
        {
            if (SessionFactory.CudaDriverPresent())
            {
                Assert.True(tried);
                Assert.Equal(SessionFactory.CudaProvider, provider);
            }
            else
            {
                Assert.False(tried);
                Assert.Equal(SessionFactory.CpuProvider, provider);
                Assert.Contains("libcuda", reason, StringComparison.Ordinal);
            }
        }
    }
}
