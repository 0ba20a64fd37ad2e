export { RabbitmqBroker, type RabbitmqBrokerOptions } from './rabbitmq-broker';
