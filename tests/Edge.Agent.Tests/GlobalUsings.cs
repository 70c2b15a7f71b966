global using Edge.Agent.Tests.Support;
global using Edge.TestUtilities.Mqtt;
