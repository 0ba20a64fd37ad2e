// Work-order events on RabbitMQ (MQ_URL=amqp://…, or AMQP_URL): see test-support/event-suite.js.
import { eventSuite } from '../test-support/event-suite.js';
import { rabbitmqSpy } from '../test-support/spies.js';

eventSuite('amqp', rabbitmqSpy);
