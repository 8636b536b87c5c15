using System.Net;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Domain.UnitTests.Webhooks;

public class WebhookUrlTests
{
    [Theory]
    [InlineData("https://hooks.example.com/path?x=1")]
    [InlineData("https://93.184.215.14:8443/hooks")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hooks")]
    public void FindProblem_AcceptsAPublicHttpsUrl_Anywhere(string url) =>
        WebhookUrl.FindProblem(url, allowHttp: false, allowPrivateNetworks: false).ShouldBeNull();

    [Theory]
    [InlineData(null, "Must be an absolute URL of at most 2000 characters.")]
    [InlineData("", "Must be an absolute URL of at most 2000 characters.")]
    [InlineData("hooks.example.com/x", "Must be an absolute URL of at most 2000 characters.")]
    [InlineData("http://hooks.example.com/x", "Must be an https URL.")]
    [InlineData("ftp://hooks.example.com/x", "Must be an https URL.")]
    [InlineData("https://me:secret@hooks.example.com/x", "Must not contain a user name or password.")]
    [InlineData("https://hooks.example.com/x#part", "Must not contain a fragment (#...).")]
    [InlineData("https://localhost/x", "Must not point at this machine (localhost).")]
    [InlineData("https://LOCALHOST./x", "Must not point at this machine (localhost).")]
    [InlineData("https://app.localhost/x", "Must not point at this machine (localhost).")]
    public void FindProblem_RefusesWhatIsNotAPublicHttpsUrl(string? url, string problem) =>
        WebhookUrl.FindProblem(url, allowHttp: false, allowPrivateNetworks: false).ShouldBe(problem);

    [Fact]
    public void FindProblem_RefusesAUrlLongerThan2000Characters() =>
        WebhookUrl.FindProblem("https://hooks.example.com/" + new string('a', 2000), false, false).ShouldBe("Must be an absolute URL of at most 2000 characters.");

    [Theory]
    [InlineData("https://127.0.0.1/x")]
    [InlineData("https://10.0.0.1/x")]
    [InlineData("https://172.31.255.255/x")]
    [InlineData("https://192.168.0.1/x")]
    [InlineData("https://169.254.169.254/x")]
    [InlineData("https://[::1]/x")]
    [InlineData("https://[fc00::1]/x")]
    [InlineData("https://[fe80::1]/x")]
    [InlineData("https://[::ffff:10.0.0.1]/x")]
    public void FindProblem_RefusesPrivateLiterals_UnlessPrivateNetworksAreAllowed(string url)
    {
        WebhookUrl.FindProblem(url, false, allowPrivateNetworks: false).ShouldBe("Must not point at a loopback, private, link-local, multicast or unspecified address.");
        WebhookUrl.FindProblem(url, false, allowPrivateNetworks: true).ShouldBeNull();
    }

    [Fact]
    public void FindProblem_AllowsPlainHttpAndLoopback_InDevelopment()
    {
        WebhookUrl.FindProblem("http://127.0.0.1:5000/hooks", allowHttp: true, allowPrivateNetworks: true).ShouldBeNull();
        WebhookUrl.FindProblem("http://localhost:5000/hooks", allowHttp: true, allowPrivateNetworks: true).ShouldBeNull();
        WebhookUrl.FindProblem("ftp://localhost/hooks", allowHttp: true, allowPrivateNetworks: true).ShouldBe("Must be an http or https URL.");
    }

    [Theory]
    [InlineData("0.0.0.0", false)]
    [InlineData("0.1.2.3", false)]
    [InlineData("10.255.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("172.15.0.1", true)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.168.10.10", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fdff:ffff::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2001:4860:4860::8888", true)]
    public void IsPublic_TellsPublicAddressesFromLocalAndReservedOnes(string address, bool isPublic) =>
        WebhookUrl.IsPublic(IPAddress.Parse(address)).ShouldBe(isPublic);
}
