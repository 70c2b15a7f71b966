global using Edge.Agent.Tests.Support;
global using Edge.TestUtilities.Mqtt;
global using Edge.TestUtilities.Otlp;
global using Edge.Protocol;
