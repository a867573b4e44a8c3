// The AWS SDK for JavaScript v3 against ecslab server: a deployment and a task, with its waiters.
// Run by tests/test_clients_javascript.py: `node sdk_waiters.cjs '<json settings>'`; the endpoint,
// region and keys come from the environment (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID...).
// Prints one JSON object: each step's outcome and wall time in seconds.
"use strict";
const ecs = require("@aws-sdk/client-ecs");
const elbv2 = require("@aws-sdk/client-elastic-load-balancing-v2");

async function timed(results, name, step) {
  const started = Date.now();
  try {
    const value = await step();
    results[name] = { ok: true, seconds: (Date.now() - started) / 1000, value };
  } catch (error) {
    results[name] = { ok: false, seconds: (Date.now() - started) / 1000, error: String(error) };
  }
  return results[name];
}

async function main() {
  const settings = JSON.parse(process.argv[2]);
  const maxWaitTime = settings.maxWaitTime;
  const client = new ecs.ECSClient({});
  const balancers = new elbv2.ElasticLoadBalancingV2Client({});
  const results = {};
  const cluster = settings.cluster;

  await timed(results, "updateService", async () => {
    const answer = await client.send(
      new ecs.UpdateServiceCommand({ cluster, service: settings.service, forceNewDeployment: true })
    );
    return answer.service.deployments.length;
  });
  await timed(results, "waitUntilServicesStable", async () => {
    const outcome = await ecs.waitUntilServicesStable(
      { client, maxWaitTime },
      { cluster, services: [settings.service] }
    );
    return outcome.state;
  });
  let taskArn = null;
  await timed(results, "runTask", async () => {
    const answer = await client.send(
      new ecs.RunTaskCommand({
        cluster,
        taskDefinition: settings.taskDefinition,
        launchType: "FARGATE",
        networkConfiguration: settings.network,
      })
    );
    taskArn = answer.tasks[0].taskArn;
    return answer.tasks[0].lastStatus;
  });
  await timed(results, "waitUntilTasksRunning", async () => {
    const outcome = await ecs.waitUntilTasksRunning(
      { client, maxWaitTime },
      { cluster, tasks: [taskArn] }
    );
    return outcome.state;
  });
  await timed(results, "waitUntilLoadBalancerAvailable", async () => {
    const created = await balancers.send(
      new elbv2.CreateLoadBalancerCommand({ Name: "sdk-alb", Subnets: settings.subnets })
    );
    const outcome = await elbv2.waitUntilLoadBalancerAvailable(
      { client: balancers, maxWaitTime },
      { LoadBalancerArns: [created.LoadBalancers[0].LoadBalancerArn] }
    );
    return [created.LoadBalancers[0].State.Code, outcome.state];
  });
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
