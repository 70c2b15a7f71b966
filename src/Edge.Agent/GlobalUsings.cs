global using Edge.Protocol;
global using Edge.Protocol.Ota;
