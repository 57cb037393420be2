export * from '../../../shared/lifecycle';
