export { default } from "@causeway/eslint-config";
